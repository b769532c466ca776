"""What the demo builds, as the seed describes 洛龙街道 (names verbatim from the report).

Codes: 530114 is 呈贡区 in GB/T 2260. The subdistrict and community codes below are
illustrative (the official statistical codes are not in the seed); so are the offices,
the synthetic people and the polygons.
"""

from __future__ import annotations

from decimal import Decimal

DISTRICT = {"code": "530114", "name": "呈贡区"}
SUBDISTRICT_CODE = "006"
SUBDISTRICT_NAME = "洛龙街道"
AREA_KM2 = 17.76  # 辖区面积
BUILT_UP_KM2 = Decimal("13.32")  # 建成区面积

# (code, name, map colour, grid names in the seed's order)
COMMUNITIES: list[tuple[str, str, str, list[str]]] = [
    (
        "001",
        "吴家营社区",
        "#1f77b4",
        ["吴家营社区东网格", "吴家营社区西网格", "融创孔雀镇片区网格", "新都昌广场片区网格"],
    ),
    ("002", "洛龙社区", "#ff7f0e", ["洛龙社区南网格", "洛龙社区北网格", "云大医院片区网格"]),
    ("003", "王家营社区", "#2ca02c", ["王家营安置房片区网格", "市级行政中心片区网格"]),
    (
        "004",
        "碧潭社区",
        "#d62728",
        [
            "浣园、沁园片区网格",
            "紫岫院、昆百大片区网格",
            "善书院、晴岚院片区网格",
            "淏园、风华俊园片区网格",
        ],
    ),
    ("005", "白龙潭社区", "#9467bd", ["白龙潭周转房片区网格", "昆明高铁南站片区网格"]),
]

DISTRICT_CENTER = "昆明市网格指挥中心呈贡分中心（区网格中心）"
SUBDISTRICT_CENTER = "洛龙街道网格化综合管理处置中心"

# The subdistrict's offices (各办（中心）): the seed does not list them; typical ones.
SUBDISTRICT_OFFICES = [
    ("党政综合办公室", "综合协调、督查督办"),
    ("城市管理办公室", "市容环境、门前三包、城市管理问题处置"),
    ("社会事务办公室", "民政、社会保障、社区事务"),
    ("规划建设办公室", "违法违规建设、施工管理"),
    ("平安建设办公室", "综治维稳、矛盾纠纷排查调处"),
    ("经济发展办公室", "经营秩序、安全生产"),
]

# District departments the seed names, and city-level units in the grids' names.
DISTRICT_DEPARTMENTS = [
    ("呈贡区公安分局", "治安及刑事案件；社区民警排名成绩报送单位"),
    ("呈贡区城市管理局", "市容环境卫生；环卫保洁人员排名成绩报送单位"),
    ("呈贡区城市管理综合行政执法大队洛龙中队", "城管执法；执法人员处理不了的问题报告至此"),
    ("呈贡区环境卫生服务公司", "需由环卫公司处理的环境卫生问题"),
    ("呈贡区住房和城乡建设局", "违法违规建设、施工管理"),
    ("呈贡区交通运输局", "道路交通设施"),
]
CITY_UNITS = [
    ("昆明市级行政中心管理服务中心", "驻呈贡区市级单位：市级行政中心片区"),
    ("昆明南站（中国铁路昆明局集团）", "驻呈贡区市级及以上单位：昆明高铁南站片区"),
    ("云南大学附属医院呈贡院区", "驻呈贡区市级单位：云大医院片区"),
]

# The leader chain (三.1): chief = the district head named in the seed; the rest synthetic.
CHIEF = ("张先宝", "呈贡区区长")
LEVEL1 = ("李明华", "联系洛龙街道的区级领导")
LEVEL1_DEPUTY = ("赵建国", "联系洛龙街道的区城市管理局局长")
LEVEL2 = [("王志强", "洛龙街道党工委书记"), ("陈晓燕", "洛龙街道办事处主任")]
# One member of the subdistrict leadership per community (三级网格长).
LEVEL3 = ["刘洪涛", "杨丽萍", "黄伟", "周敏", "吴国平"]
# Community secretary and director (四级网格长) per community.
LEVEL4 = [
    ("孙建华", "马秀英"),
    ("朱志明", "胡玉兰"),
    ("郭海燕", "何文军"),
    ("高俊", "林淑芬"),
    ("罗永康", "郑丽华"),
]

SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许"
    "韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉文海波云飞鹏辉鑫宇晨琳雪梅林斌琴凤"
)
