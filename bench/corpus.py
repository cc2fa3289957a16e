"""Words for generated tickets: titles and message texts that read like a help desk's.

A full-text index is only tested by text with the shape of real text: a few
words in every message ("the", "server"), a long tail of rare ones (product
names, host names, error codes) and other scripts. English sentences are built
from a help-desk vocabulary weighted like natural language (Zipf), with words
of a made-up long tail mixed in; a tenth of the tickets are German, Russian,
Chinese or Japanese. Three marker words let the benchmarks search for a word of
known frequency: one in 1 % of the tickets, one in a few, and one in none.
"""

from __future__ import annotations

import random
import unicodedata
from itertools import accumulate

#: In the title and first message of 1 % of the tickets, nowhere else.
COMMON_WORD = "printer"
#: In the title and first message of one ticket in 50,000 (at least two).
RARE_WORD = "zeppelin"
#: In no ticket.
ABSENT_WORD = "quixotic"
MARKERS = (COMMON_WORD, RARE_WORD, ABSENT_WORD)


def _words(text: str) -> list[str]:
    return text.split()


_ENGLISH = _words(
    """
the to and a of is it in i we you that for on our this not with be have are
can but my was please since from as at your all when there an or do does after
get no if they what any one now so would could will just us also been has me
error server mail email account password login invoice payment domain website
site page backup database update upgrade install problem issue help working
work works broken down slow fast timeout connection connect network dns
certificate ssl renew renewal expired expire order refund charge charged twice
card credit plan price billing address change changed changing user users
customer team office phone number support ticket reply answer question
questions again still yesterday today morning evening week month since hours
minutes message messages inbox spam folder send sending sent receive received
bounce bounced rejected reject delivery delivered attachment file files upload
download disk space quota full limit storage memory cpu load restart restarted
reboot service services port firewall blocked access denied permission admin
panel settings setting configure configuration mobile app browser chrome
firefox safari windows linux mac version new old latest release feature
request report reports export import data lost missing deleted restore
restored recover contract cancel cancelled subscription trial licence license
key activation activate code sms verification two factor reset forgot locked
unlock employee employees colleague manager boss urgent asap important
critical outage maintenance scheduled window notice thanks thank regards kind
best hello hi dear sorry unfortunately however
"""
)

_SYLLABLES = _words(
    """
ka ro mi ten vas lor qui dex bra nol sif tur ze pho gan wil mar cel ost rin
dun fel hax jor kem lup nix orb pim rus tav ulm vek wyn yar zol bik cro dra
esk fro gli hum ivo jun kre lym
"""
)

_GERMAN = _words(
    """
der die das und ist nicht wir sie ich ein eine mit von auf für bitte seit
heute gestern morgen leider danke grüße freundlichen sehr geehrte damen herren
problem fehler rechnung zahlung konto passwort anmeldung server postfach
nachricht nachrichten e-mail empfangen senden gesendet abgelehnt zustellung
speicherplatz voll sicherung wiederherstellen gelöscht vertrag kündigung
zertifikat abgelaufen verlängern domäne webseite langsam erreichbar störung
wartung dringend kunde kunden mitarbeiter zugang gesperrt entsperren
einstellungen änderung geändert bestellung erstattung doppelt belastet
"""
)

_RUSSIAN = _words(
    """
и в не на я что мы вы с по это у как но пожалуйста уже сегодня вчера спасибо
здравствуйте уважаемые проблема ошибка счёт оплата аккаунт пароль вход сервер
почта письмо письма отправка получение отклонено доставка диск место резервная
копия восстановить удалено договор расторжение сертификат истёк продлить домен
сайт медленно недоступен сбой обслуживание срочно клиент сотрудник доступ
заблокирован разблокировать настройки изменение заказ возврат дважды списано
"""
)

_CHINESE = _words(
    """
您好 请 帮助 我们 的 服务器 邮件 无法 发送 接收 账户 密码 登录 发票
付款 域名 网站 备份 数据库 更新 问题 错误 连接 超时 证书 过期 续费
退款 订单 客户 支持 谢谢 紧急 今天 昨天 已经 还是 不能 访问 被 拒绝
空间 已满 恢复 删除 合同 取消 设置 修改
"""
)

_JAPANESE = _words(
    """
お世話になっております サーバー メール 送信 受信 できません アカウント
パスワード ログイン 請求書 支払い ドメイン ウェブサイト バックアップ
データベース 更新 問題 エラー 接続 タイムアウト 証明書 期限切れ 更新料
返金 注文 お客様 サポート ありがとうございます 至急 今日 昨日 まだ
アクセス 拒否 容量 不足 復元 削除 契約 解約 設定 変更
よろしくお願いします
"""
)

GREETINGS = {
    "en": ("Hello,", "Hi,", "Dear support,", "Hello team,", ""),
    "de": ("Hallo,", "Sehr geehrte Damen und Herren,", "Guten Tag,"),
    "ru": ("Здравствуйте,", "Добрый день,"),
    "zh": ("您好，",),
    "ja": ("お世話になっております。",),
}
SIGN_OFFS = {
    "en": ("Thanks", "Best regards", "Kind regards", "Thank you", "Cheers"),
    "de": ("Viele Grüße", "Mit freundlichen Grüßen", "Danke"),
    "ru": ("Спасибо", "С уважением"),
    "zh": ("谢谢",),
    "ja": ("よろしくお願いします。",),
}

#: Languages other than English and their share among those tickets.
OTHER_LANGUAGES = ("de", "ru", "zh", "ja")

FIRST_NAMES = _words(
    """
Anna Ben Clara David Emma Felix Grace Hugo Ida Jonas Karin Leo Mia Noah Olga
Paul Rosa Sam Tina Uwe Vera Walter Yara Zoe Ahmed Fatima Hiroshi Yuki Wei Mei
Ivan Natalia Sergei Elena Jürgen Björn Chloé José María Søren
"""
)
LAST_NAMES = _words(
    """
Smith Jones Müller Schmidt Ivanova Petrov Tanaka Suzuki Wang Li Chen Garcia
Martin Bernard Rossi Novak Nowak Jensen Hansen Larsen Silva Costa Kowalski
Dubois Fischer Weber Meyer Wagner Becker Hoffmann Öztürk Yılmaz Kim Park
"""
)
COMPANY_WORDS = _words(
    """
Acme Apex Blue Bright Cedar Cloud Delta Echo Falcon Granite Harbor Iron
Juniper Kite Lumen Maple Nimbus Orbit Pine Quartz River Summit Tidal Union
Vertex Willow Zenith Nord Süd Alpen Baltic Sakura Fuji Dragon Lotus
"""
)
COMPANY_KINDS = ("GmbH", "Ltd", "Inc", "AG", "OOO", "KK", "SARL", "BV", "LLC", "Hosting")
QUEUE_AREAS = (
    "Support",
    "Billing",
    "Domains",
    "Hosting",
    "Mail",
    "Sales",
    "Abuse",
    "DNS",
    "VPS",
    "Web",
)
QUEUE_REGIONS = ("EU", "US", "APAC", "DACH", "CIS")


def _zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    return list(accumulate(1.0 / (rank + 1) ** exponent for rank in range(count)))


class Corpus:
    """Sentence pools per language, built once; messages are drawn from them.

    Drawing whole sentences keeps a million tickets (four million messages) to
    seconds of Python; the pools are large enough that no two long messages are
    alike.
    """

    def __init__(self, rng: random.Random, sentences: int = 20_000) -> None:
        self.rng = rng
        tail = sorted(
            {
                "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
                for _ in range(30_000)
            }
        )
        tail = [word for word in tail if not any(marker in word for marker in MARKERS)]
        rng.shuffle(tail)
        # A natural-language curve over the real words; one word in twelve from the long tail.
        self.english_words = _ENGLISH
        self.english_weights = _zipf_weights(len(_ENGLISH), 1.0)
        self.tail = tail
        self.tail_weights = _zipf_weights(len(tail), 0.9)
        self.pools = {
            "en": [self._english_sentence() for _ in range(sentences)],
            "de": [self._spaced_sentence(_GERMAN) for _ in range(sentences // 4)],
            "ru": [self._spaced_sentence(_RUSSIAN) for _ in range(sentences // 4)],
            "zh": [self._joined_sentence(_CHINESE, "。") for _ in range(sentences // 4)],
            "ja": [self._joined_sentence(_JAPANESE, "。") for _ in range(sentences // 4)],
        }
        self.title_words = {
            "de": _GERMAN,
            "ru": _RUSSIAN,
            "zh": _CHINESE,
            "ja": _JAPANESE,
        }

    def _english_words(self, count: int) -> list[str]:
        rng = self.rng
        words = rng.choices(self.english_words, cum_weights=self.english_weights, k=count)
        for position in range(count):
            if rng.random() < 1 / 12:
                words[position] = rng.choices(self.tail, cum_weights=self.tail_weights)[0]
        return words

    def _english_sentence(self) -> str:
        rng = self.rng
        words = self._english_words(rng.randint(5, 16))
        if rng.random() < 0.15:
            words.append(f"E{rng.randint(100, 9999)}")
        if rng.random() < 0.05:
            words.append(f"srv{rng.randint(1, 400)}.example.net")
        return " ".join(words).capitalize() + rng.choice(".....?!")

    def _spaced_sentence(self, words: list[str]) -> str:
        return " ".join(self.rng.choices(words, k=self.rng.randint(5, 14))).capitalize() + "."

    def _joined_sentence(self, words: list[str], stop: str) -> str:
        return "".join(self.rng.choices(words, k=self.rng.randint(4, 10))) + stop

    def title(self, language: str, marker: str = "") -> str:
        rng = self.rng
        count = rng.randint(3, 8)
        if language == "en":
            # Titles skip the small words that fill sentences.
            words = [word for word in self._english_words(count * 2) if len(word) > 3][:count]
        else:
            words = rng.choices(self.title_words[language], k=count)
        if marker:
            words.insert(rng.randrange(len(words) + 1), marker)
        joiner = "" if language in ("zh", "ja") else " "
        return joiner.join(words).capitalize()[:255]

    def text(self, language: str, sentences: int, marker: str = "") -> str:
        rng = self.rng
        body = rng.choices(self.pools[language], k=sentences)
        if marker:
            body.insert(rng.randrange(len(body) + 1), f"The {marker} is the problem.")
        joiner = "" if language in ("zh", "ja") else " "
        parts = [
            rng.choice(GREETINGS[language]),
            joiner.join(body),
            rng.choice(SIGN_OFFS[language]),
        ]
        return "\n\n".join(part for part in parts if part)


def ascii_letters(text: str) -> str:
    """``Jürgen Öztürk`` as ``Jurgen Ozturk``: what is left of each letter in ASCII."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def company_name(rng: random.Random, number: int) -> str:
    first, second = rng.choice(COMPANY_WORDS), rng.choice(COMPANY_WORDS)
    return f"{first} {second} {number} {rng.choice(COMPANY_KINDS)}"


def queue_names(count: int) -> list[str]:
    names = [f"{area} {region}" for region in QUEUE_REGIONS for area in QUEUE_AREAS]
    names += [f"Team {n}" for n in range(len(names), count)]
    return names[:count]
