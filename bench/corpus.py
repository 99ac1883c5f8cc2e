"""Realistic, generated clip entries in Japanese and English, for any benchmark.

    from corpus import generate_entries   # in a script under bench/, whose folder is on sys.path
    for entry in generate_entries(200_000, seed=1):   # clipdiary.model.NewEntry objects
        store.add_entry(entry)

Each entry is a clip as clipdiary writes one: a title, one or two categories, a Hatena body
with the reader's note above a quote block naming its source (``>URL:title=…>`` … ``<<``),
and a ``Source`` with URL, site, language and publication time. About half the entries are
Japanese (400–900 characters of article), half English (60–160 words); about one in twenty
is private. Times are spread over ``years`` years from ``start``, oldest first, so entry ids
follow time as they do in a diary written day by day. The same seed gives the same entries.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from clipdiary.model import NewEntry, Source

JA_PEOPLE = [
    "プーチン大統領",
    "岸田首相",
    "バイデン大統領",
    "習近平国家主席",
    "メルケル首相",
    "アサド大統領",
    "エルドアン大統領",
    "ゼレンスキー大統領",
    "日銀総裁",
    "国連事務総長",
]
JA_PLACES = [
    "東京",
    "大阪",
    "京都",
    "北京",
    "モスクワ",
    "ワシントン",
    "アレッポ",
    "ダマスカス",
    "ジャカルタ",
    "輪島",
    "ソウル",
    "ベルリン",
    "ジュネーブ",
    "東京都庁",
    "北朝鮮",
]
JA_ORGS = [
    "経済産業省",
    "外務省",
    "防衛省",
    "気象庁",
    "日本銀行",
    "トヨタ自動車",
    "ラピダス",
    "国連安全保障理事会",
    "欧州連合",
    "北大西洋条約機構",
]
JA_TOPICS = [
    "首脳会談",
    "停戦合意",
    "経済制裁",
    "南海トラフ地震",
    "円安",
    "熱中症",
    "インバウンド需要",
    "生成ＡＩ",
    "半導体工場",
    "難民支援",
    "核開発",
    "原油価格",
    "選挙",
    "金融緩和",
    "人道回廊",
]
JA_TEMPLATES = [
    "{person}は{day}日、{place}で{topic}について記者団に語った。",
    "{org}によると、{topic}をめぐる協議は{place}で続いている。",
    "{place}では{topic}の影響が広がり、{org}が対応を急いでいる。",
    "関係者によれば、{person}と{person2}の{topic}は約{n}時間に及んだ。",
    "{org}は{day}日、{topic}に関する報告書を公表した。",
    "専門家は「{topic}の行方は予断を許さない」と指摘する。",
    "{place}市内では{n}人以上が集まり、{topic}に抗議した。",
    "{person}は{topic}について「対話を続ける」と述べ、{org}との連携を強調した。",
    "政府は{topic}を受けて、{n}億円規模の補正予算を検討している。",
    "{place}の住民は「{topic}で生活が変わった」と話している。",
]
EN_PEOPLE = [
    "President Putin",
    "President Biden",
    "Chancellor Merkel",
    "President Assad",
    "Prime Minister Kishida",
    "President Erdogan",
    "President Zelensky",
    "the UN Secretary-General",
    "the central bank governor",
    "Secretary Kerry",
]
EN_PLACES = [
    "Aleppo",
    "Damascus",
    "Moscow",
    "Washington",
    "Geneva",
    "Tokyo",
    "Beijing",
    "Jakarta",
    "Berlin",
    "Kyiv",
    "Seoul",
    "Brussels",
]
EN_TOPICS = [
    "the ceasefire",
    "sanctions",
    "the summit",
    "the earthquake",
    "interest rates",
    "the refugee crisis",
    "nuclear talks",
    "oil prices",
    "the election",
    "chip exports",
    "the heatwave",
    "humanitarian corridors",
    "trade talks",
]
EN_TEMPLATES = [
    "{person} said on {weekday} that {topic} in {place} could be agreed within days.",
    "Officials in {place} described {topic} as a turning point for the region.",
    "The prime minister met {person} in {place} to discuss {topic}.",
    "Analysts warned that {topic} would weigh on markets for months.",
    "More than {n} people gathered in {place} to protest against {topic}.",
    "{person} told reporters that {topic} remained the central bank's main concern.",
    "Diplomats in {place} said talks on {topic} had stalled again.",
    "A spokesman said {topic} would be reviewed at the next meeting in {place}.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CATEGORIES = [
    "Russia",
    "Syria",
    "Japan",
    "Economy",
    "Disaster",
    "Tech",
    "Politics",
    "Asia",
    "Europe",
    "US",
    "Energy",
    "Climate",
]
JA_SITES = [
    ("NHK", "www3.nhk.or.jp"),
    ("朝日新聞", "www.asahi.com"),
    ("日経", "www.nikkei.com"),
    ("毎日新聞", "mainichi.jp"),
    ("共同通信", "www.kyodonews.jp"),
]
EN_SITES = [
    ("RT", "www.rt.com"),
    ("Reuters", "www.reuters.com"),
    ("BBC", "www.bbc.com"),
    ("The Guardian", "www.theguardian.com"),
    ("AP", "apnews.com"),
]
JA_NOTES = [
    "停戦の行方に注目。",
    "前回の会談との違いが気になる。",
    "数字の出どころを確認すること。",
    "",
    "",
    "あとで続報を追う。",
]
EN_NOTES = ["Compare with the Japanese coverage.", "Note the figures.", "", "", "Follow up."]


def _ja_article(rng: random.Random) -> tuple[str, str]:
    topic = rng.choice(JA_TOPICS)
    person, place, org = rng.choice(JA_PEOPLE), rng.choice(JA_PLACES), rng.choice(JA_ORGS)
    title = rng.choice(
        [
            f"{person}、{topic}で{place}訪問",
            f"{org}、{topic}の対応策を発表",
            f"{place}で{topic}　{org}が調査",
            f"{topic}、{person}が言及",
        ]
    )
    sentences: list[str] = []
    target = rng.randint(400, 900)
    while sum(len(s) for s in sentences) < target:
        sentences.append(
            rng.choice(JA_TEMPLATES).format(
                person=rng.choice((person, rng.choice(JA_PEOPLE))),
                person2=rng.choice(JA_PEOPLE),
                place=rng.choice((place, rng.choice(JA_PLACES))),
                org=rng.choice((org, rng.choice(JA_ORGS))),
                topic=rng.choice((topic, topic, rng.choice(JA_TOPICS))),
                day=rng.randint(1, 28),
                n=rng.randint(2, 900),
            )
        )
    paragraphs = ["".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return title, "\n".join(paragraphs)


def _en_article(rng: random.Random) -> tuple[str, str]:
    topic = rng.choice(EN_TOPICS)
    person, place = rng.choice(EN_PEOPLE), rng.choice(EN_PLACES)
    title = rng.choice(
        [
            f"{person}: {place} may reach agreement on {topic}",
            f"{topic.capitalize()} dominate talks in {place}",
            f"{person} warns over {topic}",
        ]
    )
    words = 0
    sentences: list[str] = []
    target = rng.randint(60, 160)
    while words < target:
        sentence = rng.choice(EN_TEMPLATES).format(
            person=rng.choice((person, rng.choice(EN_PEOPLE))),
            place=rng.choice((place, rng.choice(EN_PLACES))),
            topic=rng.choice((topic, topic, rng.choice(EN_TOPICS))),
            weekday=rng.choice(WEEKDAYS),
            n=rng.randint(100, 20000),
        )
        sentence = sentence[0].upper() + sentence[1:]
        sentences.append(sentence)
        words += sentence.count(" ") + 1
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return title, "\n".join(paragraphs)


def generate_entries(
    count: int,
    *,
    seed: int = 0,
    start: dt.datetime = dt.datetime(2012, 1, 1, tzinfo=dt.UTC),
    years: float = 8.0,
    private_share: float = 0.05,
) -> Iterator[NewEntry]:
    """``count`` clip entries, oldest first, the same for the same arguments."""
    rng = random.Random(seed)
    span = years * 365.25 * 86400
    offsets = sorted(rng.random() * span for _ in range(count))
    previous = -1
    for number, offset in enumerate(offsets):
        # One entry per second at most, as a diary written by hand has them.
        previous = max(int(offset), previous + 1)
        created = start + dt.timedelta(seconds=previous)
        japanese = rng.random() < 0.5
        if japanese:
            title, article = _ja_article(rng)
            site, host = rng.choice(JA_SITES)
            note = rng.choice(JA_NOTES)
        else:
            title, article = _en_article(rng)
            site, host = rng.choice(EN_SITES)
            note = rng.choice(EN_NOTES)
        url = f"https://{host}/news/{created:%Y%m%d}/{number:07d}.html"
        body = (f"{note}\n" if note else "") + f">{url}:title={title}>\n{article}\n<<"
        categories = tuple(rng.sample(CATEGORIES, rng.choice((1, 1, 2))))
        yield NewEntry(
            title=title,
            body=body,
            categories=categories,
            created=created,
            visibility="private" if rng.random() < private_share else "public",
            source=Source(
                url=url,
                site=site,
                lang="ja" if japanese else "en",
                published=created - dt.timedelta(hours=rng.randint(1, 12)),
            ),
        )
