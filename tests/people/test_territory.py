from wangge.org.selectors import grids_visible
from wangge.people.territory import territory_of


def codes(territory):
    return sorted(g.name for g in grids_visible(territory))


def test_a_supervisor_sees_only_their_grid(cast):
    assert codes(territory_of(cast.supervisor.user)) == ["吴家营社区东网格"]


def test_the_centre_operator_sees_the_whole_subdistrict(cast):
    assert len(codes(territory_of(cast.operator.user))) == 3


def test_a_district_leader_sees_the_district(cast):
    assert len(codes(territory_of(cast.district_leader.user))) == 3


def test_a_user_with_no_person_sees_nothing(cast, django_user_model):
    stranger = django_user_model.objects.create_user("stranger", password="x-123456789")
    assert codes(territory_of(stranger)) == []


def test_the_superuser_sees_everything(cast):
    assert len(codes(territory_of(cast.admin_user))) == 3
