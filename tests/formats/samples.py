"""Import files written for these tests from the formats' descriptions (docs/research)."""

from __future__ import annotations

HATENA_XML = """<?xml version="1.0" encoding="UTF-8"?>
<diary>
<day date="2016-09-05" title="シリア">
<body>
朝に書いた前置き。

*1473071774*[Russia][Syria]プーチン大統領、シリア停戦で合意の可能性
一行目
**小見出し
&gt;&gt;
引用 &amp; 注意 &lt;b&gt;
&lt;&lt;

*1473073574*[Russia]Putin: Russia &amp; US may reach agreement on Syria
English line

*hobby*趣味
ギター
</body>
<comments>
<comment>
<username>someid</username>
<body>なるほど</body>
<timestamp>1473080000</timestamp>
</comment>
<comment>
<username>guest</username>
<body>two
lines</body>
<timestamp>1473090000</timestamp>
</comment>
</comments>
</day>
<day date="2004-01-02" title="">
<body>
*p1*一つ目
本文
*p2*二つ目
*見出しだけ
名前なし
</body>
</day>
</diary>
"""

MT_EXPORT = """AUTHOR: d1021
TITLE: 風邪で声を失った話 &amp; 回復
BASENAME: 2017/04/09/194939
STATUS: Publish
ALLOW COMMENTS: 1
CONVERT BREAKS: 0
DATE: 04/09/2017 07:49:39 PM
CATEGORY: 日常
CATEGORY: 健康
IMAGE: https://cdn-ak.f.st-hatena.com/images/fotolife/u/user/20170409/20170409194939.jpg
-----
BODY:
<p>bodybodybody</p>
-----
EXTENDED BODY:
<p>extended body body body</p>
-----
COMMENT:
AUTHOR: Foo
DATE: 04/10/2017 15:47:06
ここに
このコメントの本文が来ます。
-----
--------
AUTHOR: d1021
TITLE: 下書き
BASENAME: draft-entry
STATUS: Draft
ALLOW COMMENTS: 1
CONVERT BREAKS: 0
DATE: 04/22/2017 20:41:58
-----
BODY:
<p>not yet</p>
-----
--------
AUTHOR: d1021
TITLE: ダイアリーから
BASENAME: 20080320/1206011148
STATUS: Publish
CONVERT BREAKS: 0
DATE: 03/20/2008 20:05:48
CATEGORY: 移行
-----
BODY:
<p>old diary section</p>
-----
--------
"""

_RT = "https://www.rt.com/news/358290-putin-syria-us-agreement/"
_NHK = "https://www3.nhk.or.jp/news/html/20160905/k1.html"

BOOKMARKS = f"""<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file. -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
    <DT><H3 ADD_DATE="1473000000">News</H3>
    <DL><p>
        <DT><A HREF="{_RT}" ADD_DATE="1473071774" TAGS="russia,syria">Putin: Russia &amp; US</A>
        <DD>Read after the G20 summit.
Second line.
        <DT><A HREF="{_NHK}" ADD_DATE="1473071774" PRIVATE="1">NHK [速報]</A>
    </DL><p>
    <DT><A HREF="javascript:alert(1)" ADD_DATE="1473071774">a bookmarklet</A>
    <DT><A HREF="https://example.org/no-date">No date</A>
</DL><p>
"""
