"""Factories for tests. Pass shared parents explicitly; keep graphs small."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from wangge.org.models import Community, District, Grid, GridCenter, Subdistrict, Workstation
from wangge.people.models import GridRole, Person


def square(lon: float, lat: float, size: float) -> dict:
    """A GeoJSON square with its south-west corner at (lon, lat), ``size`` degrees wide."""
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


def rect(west: float, south: float, east: float, north: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-word-123")


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    code = "530114"
    name = "呈贡区"


class SubdistrictFactory(DjangoModelFactory):
    class Meta:
        model = Subdistrict

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"街道{n}")


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Community

    subdistrict = factory.SubFactory(SubdistrictFactory)
    code = factory.Sequence(lambda n: f"{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"社区{n}")


class GridFactory(DjangoModelFactory):
    class Meta:
        model = Grid

    community = factory.SubFactory(CommunityFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.community.full_code}{(n % 999) + 1:03d}")
    name = factory.Sequence(lambda n: f"网格{n}")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"人员{n}")
    employment = "contract"
    start_date = dt.date(2019, 1, 1)


class GridRoleFactory(DjangoModelFactory):
    class Meta:
        model = GridRole

    person = factory.SubFactory(PersonFactory)
    grid = factory.SubFactory(GridFactory)
    role = "supervisor"
    start_date = dt.date(2019, 1, 1)


class GridCenterFactory(DjangoModelFactory):
    class Meta:
        model = GridCenter

    level = "subdistrict"
    district = factory.LazyAttribute(lambda o: o.subdistrict.district)
    subdistrict = factory.SubFactory(SubdistrictFactory)
    name = "网格化综合管理处置中心"


class WorkstationFactory(DjangoModelFactory):
    class Meta:
        model = Workstation

    community = factory.SubFactory(CommunityFactory)
    name = factory.LazyAttribute(lambda o: f"{o.community.name}网格化管理工作站")
