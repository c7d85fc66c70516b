"""Words of Chinese text for matching: what the unit recommendation, the duplicate search and the topics read.

Chinese has no spaces, so the text is segmented into words by jieba (a dictionary plus an HMM for unknown words).
Postgres has no Chinese parser in Debian's packages (zhparser and pg_jieba are not packaged), so segmentation
happens here, once, when a text is written; the words are stored space-separated and Postgres indexes them with
its 'simple' configuration, which only splits on spaces. jieba takes about 4 ms for a suggestion with part-of-speech
tags (docs/intake-help.md has the measurements).

Personal data stays out of the words: resident ID numbers and phone numbers are removed before segmentation,
and words tagged as personal names (nr*), numbers and function words are dropped. A word that survives is
a content word a suggestion shares with others on its topic."""

import math
import re
import threading
from collections import Counter
from functools import lru_cache

from congress.redaction import ID_NUMBER, MOBILE

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
DIGITS = re.compile(r"[0-9０-９]+")
URL = re.compile(r"https?://\S+")
# Part-of-speech tags of jieba (ICTCLAS set) whose words carry a topic: nouns, verbs, adjectives, idioms,
# abbreviations, place and organisation names, foreign words. Personal names (nr, nrfg, nrt) are not among them.
CONTENT_TAGS = {"n", "nz", "ns", "nt", "nl", "ng", "v", "vn", "vd", "a", "an", "ad", "l", "i", "j", "eng", "b", "s"}
# Words every suggestion uses whatever its topic: the genre's own formulas and region words.
STOPWORDS = frozenset(
    """关于 建议 议案 提案 意见 我们 进一步 有关 相关 问题 工作 目前 存在 一些 方面 情况 通过 进行 以及 提出
    解决 建议书 代表 人大 我市 我省 我区 我县 我镇 本市 本区 全市 全省 全区 全县 今年 去年 明年 近年来 同时 有效
    需要 没有 可以 应当 要求 希望 相应 目的 方式 具体 实际 加以 予以 给予 做好 切实 不断 积极 认真 尽快 现在 其中
    一定 能够 已经 主要 有些 这些 那些 如何 为了 根据 按照 由于 因为 所以 但是 还是 就是 对于 以下 以上 第一 第二
    第三 部分 地方 方案 措施 政策 群众 居民 市民 反映 来说 如下 等等 是否 作为 上述 之间 之一 其他""".split()  # noqa: SIM905
)
MIN_WORDS = 4  # below this a text says too little to match on: the category decides alone
_lock = threading.Lock()
_ready = False


def _segmenter():
    """jieba's tagger, its dictionary loaded once per process (about a second) and quietly."""
    global _ready
    import jieba
    import jieba.posseg

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(60)
                jieba.initialize()
                _ready = True
    return jieba.posseg


def scrub(text: str) -> str:
    """The text without ID numbers, phone numbers, e-mail and web addresses, which are nobody's topic."""
    for pattern in (ID_NUMBER, MOBILE, EMAIL, URL):
        text = pattern.sub(" ", text)
    return DIGITS.sub(" ", text)


@lru_cache(maxsize=4096)
def _segment(text: str) -> tuple[str, ...]:
    words = []
    for word, tag in _segmenter().cut(text):
        word = word.strip().lower()
        if len(word) < 2 or word in STOPWORDS:
            continue
        if tag in CONTENT_TAGS or (tag == "x" and word.isascii() and word.isalpha()):
            words.append(word)
    return tuple(words)


def words(text: str) -> list[str]:
    """The content words of a text, in order and repeated as often as they occur."""
    if not text:
        return []
    return list(_segment(scrub(str(text))))


def document(title: str, content: str) -> str:
    """The stored words of a titled text: the title counts twice, as it names the topic."""
    title_words = words(title)
    return " ".join(title_words + title_words + words(content))


def counts(stored: str) -> Counter:
    return Counter(stored.split())


def weights(stored: str, idf) -> dict[str, float]:
    """A text's words weighted by tf-idf (log-scaled term frequency), as a unit vector."""
    vector = {term: (1 + math.log(n)) * idf(term) for term, n in counts(stored).items()}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {term: v / norm for term, v in vector.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(term, 0.0) for term, v in a.items())


def too_short(stored: str) -> bool:
    return len(set(stored.split())) < MIN_WORDS
