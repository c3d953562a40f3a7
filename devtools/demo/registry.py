"""The demo's school registry, and which items each school is built to fail."""

from devtools.demo.standard import (
    CLASS_SIZE,
    COUNTY_CODE,
    EQUIPMENT,
    FACILITIES,
    QUALIFIED,
    SPORTS,
    TOPPED_UP,
    key_of,
)

BASE_SCHOOLS, BASE_FAILING, BASE_SEVERE = 180, 53, 18
URBAN = {"乐成街道", "城东街道", "城南街道"}
# Relative number of schools per town or street: the larger towns have more.
WEIGHTS = {
    "乐成街道": 14,
    "城东街道": 10,
    "城南街道": 10,
    "盐盆街道": 6,
    "翁垟街道": 8,
    "白石街道": 6,
    "石帆街道": 6,
    "天成街道": 8,
    "柳市镇": 20,
    "北白象镇": 12,
    "虹桥镇": 16,
    "淡溪镇": 7,
    "清江镇": 8,
    "芙蓉镇": 8,
    "大荆镇": 12,
    "仙溪镇": 6,
    "雁荡镇": 9,
}
NAMES = {"primary": "第{}小学", "junior": "第{}中学", "nine_year": "第{}学校"}
NUMERALS = "一二三四五六七八九"
RECOVERS, STAYS = "recovers", "stays"


def failing_count(n_schools):
    """Schools built to fail two or more items: the plan's 53 of about 180, scaled."""
    return round(n_schools * BASE_FAILING / BASE_SCHOOLS)


def _numeral(k):
    if k >= 100:
        return str(k)
    tens, ones = divmod(k, 10)
    head = "" if not tens else "十" if tens == 1 else NUMERALS[tens - 1] + "十"
    return head + (NUMERALS[ones - 1] if ones else "")


def _allocate(total, weights):
    """Largest-remainder split of `total` over `weights`, at least one each."""
    raw = [(total - len(weights)) * w / sum(weights) for w in weights]
    counts = [1 + int(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: int(raw[i]) - raw[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _slots(rng, n, towns):
    """[town, school type, is the town's central primary school] per school, town by town."""
    counts = _allocate(n, [WEIGHTS.get(t, 6) for t in towns])
    spare = n - len(towns)
    pool = (["nine_year"] * round(n * 0.10) + ["junior"] * round(n * 0.18))[:spare]
    pool += ["primary"] * (spare - len(pool))
    rng.shuffle(pool)
    slots = []
    for town, count in zip(towns, counts, strict=True):
        slots.append((town, "primary", True))
        slots += [(town, pool.pop(), False) for _ in range(count - 1)]
    return slots


def registry(rng, n, towns):
    """Registry rows keyed as in docs/fields.md; a teaching point follows its parent school."""
    slots = _slots(rng, n, towns)
    few = max(1, round(n / 90))
    seconds = {
        town: i
        for i, (town, kind, first) in enumerate(slots)
        if kind == "primary" and not first and town not in URBAN
    }
    points = set(rng.sample(sorted(seconds.values()), min(few, len(seconds))))
    others = [i for i, (_, kind, first) in enumerate(slots) if not (first or i in points or kind == "junior")]
    private = set(rng.sample(others, min(few, len(others))))
    schools, counters, parents = [], {}, {}
    for i, (town, kind, first) in enumerate(slots):
        short = town.removesuffix("街道").removesuffix("镇")
        code = f"{COUNTY_CODE}{i + 1:04d}"
        label = ("民办" if i in private else "") + NAMES[kind]
        counters[town, label] = number = counters.get((town, label), 0) + 1
        name = f"演示{short}" + label.format(_numeral(number))
        if first:
            parents[town] = (code, name)
        if i in points:
            area = "rural"
        elif town in URBAN:
            area = "urban" if i in private or rng.random() < 0.8 else "town"
        else:
            area = "town" if first or i in private or rng.random() < 0.4 else "rural"
        schools.append(
            {
                "code": code,
                "name": f"{parents[town][1]}教学点" if i in points else name,
                "school_type": kind,
                "ownership": "private" if i in private else "public",
                "area_type": area,
                "region": town,
                "district": f"{short}学区",
                "teaching_point": i in points,
                "parent_code": parents[town][0] if i in points else "",
            }
        )
    return schools


def fail_plans(rng, standard, schools):
    """{school code: (item codes it fails in the baseline year, rectification group)}.

    Of the problem schools (public, not teaching points), half fail computers and/or books plus
    at most one other item and pass once PLAN-T4 tops those up; a "severe" share fails four or
    five items with two or three facilities short; the rest fail two of the facilities and the
    teachers' qualification. One in five other schools fails a single item. A key names the
    item of that key which applies to the school's type (class size: its first level's).
    """
    keys = list(dict.fromkeys(key_of(item) for item in standard.indicators))
    kinds = {school["code"]: school["school_type"] for school in schools}
    others = [k for k in keys if k not in TOPPED_UP]
    heavy = [k for k in (*FACILITIES, QUALIFIED) if k in keys]
    candidates = [s["code"] for s in schools if s["ownership"] == "public" and not s["teaching_point"]]
    n_failing = failing_count(len(schools))
    chosen = rng.sample(candidates, n_failing)
    recovers = n_failing // 2
    severe = min(round(n_failing * BASE_SEVERE / BASE_FAILING), n_failing - recovers)
    plans = {}
    for i, code in enumerate(chosen):
        if i < recovers:
            fail = rng.choice([list(TOPPED_UP), [TOPPED_UP[0]], [TOPPED_UP[1]]])
            fail += rng.sample(others, 1 if len(fail) == 1 else rng.randint(0, 1))
        elif i < recovers + severe:
            fail = rng.sample(FACILITIES, rng.randint(2, 3))
            rest = [k for k in (QUALIFIED, *TOPPED_UP, SPORTS, EQUIPMENT) if k in keys and k not in fail]
            fail += rng.sample(rest, rng.randint(4, 5) - len(fail))
        else:
            fail = rng.sample(heavy, 2) + rng.sample(TOPPED_UP, rng.randint(0, 1))
        plans[code] = ({standard.code_of(k, kinds[code]) for k in fail}, RECOVERS if i < recovers else STAYS)
    singles = [k for k in others if k != CLASS_SIZE]
    for school in schools:
        if school["code"] not in plans:
            kind = school["school_type"]
            fail = {standard.code_of(rng.choice(singles), kind)} if rng.random() < 0.2 else set()
            plans[school["code"]] = (fail, "")
    return plans
