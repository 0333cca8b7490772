"""Invented Chinese personal names and fake phone numbers, deterministic for a given seed."""

from __future__ import annotations

import random

# Common surnames; the given-name characters are paired so that the result reads as a name,
# not as a word (a given name like 文明 or 建设 would turn up in any plan's text).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金廖贾夏韦方白邹孟熊秦邱尹薛段雷侯龙史黎贺顾毛郝龚邵"
)
GIVEN_FIRST = "子雨梓浩俊欣嘉思若晨诗逸沐楚皓钰瑾睿昕婧琪煜晗峻怡泓珮霁沁芮舒锴翎璟"
GIVEN_SECOND = "涵轩彤然泽琳航辰妍宸瑶萱熙珂岚翊霖铭澄璇玥骁珩琛蕾湘溪韬桐"

PHONE_PREFIX = "1390000"  # 139-0000-xxxx: a valid-looking mobile number that is clearly fake


class NameMaker:
    """Hands out unique three-character names and numbered phones in a fixed order."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)  # noqa: S311 - demo names, not secrets
        self._used: set[str] = set()
        self._phones = 0

    def name(self) -> str:
        while True:
            candidate = (
                self._rng.choice(SURNAMES) + self._rng.choice(GIVEN_FIRST) + self._rng.choice(GIVEN_SECOND)
            )
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate

    def phone(self) -> str:
        self._phones += 1
        return f"{PHONE_PREFIX}{self._phones:04d}"
