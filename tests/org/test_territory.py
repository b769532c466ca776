"""Territory: the sets of org ids a user answers for, and its plain form for caches."""


def test_a_territory_survives_its_plain_payload():
    from wangge.org.territory import Territory

    territory = Territory(subdistrict_ids=frozenset({3, 1}), grid_ids=frozenset({7}))
    payload = territory.to_payload()
    assert payload["subdistrict_ids"] == [1, 3] and payload["everything"] is False
    assert Territory.from_payload(payload) == territory
    assert Territory.from_payload(Territory.all().to_payload()) == Territory.all()
