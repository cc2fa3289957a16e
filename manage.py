#!/usr/bin/env python
from frontdesk.cli import main

if __name__ == "__main__":
    main()
