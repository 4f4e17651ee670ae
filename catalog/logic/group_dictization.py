"""Group and tag dicts, in the Action API form and the Model API (REST v1/v2) form.

Datasets inside them are package dicts from catalog.logic.dictization; the
lists are fetched with one prefetching queryset, so a group or tag costs a
fixed number of queries whatever the number of its datasets.
"""
from django.db.models import Count, Q

from catalog.logic.dictization import group_summary, isoformat, package_dictize, package_queryset
from catalog.models import STATE_ACTIVE, Group, Package


def ref_attr(context):
    """How REST representations refer to datasets and groups: v2 by id, else by name."""
    return "id" if str(context.get("api_version")) == "2" else "name"


def package_dicts(packages, context):
    """Full package dicts for a queryset (or list) of packages, ordered by name, in fixed queries."""
    if isinstance(packages, list):
        ids = [package.pk for package in packages]
    else:
        ids = list(packages.values_list("pk", flat=True))
    return [package_dictize(package, context) for package in package_queryset().filter(pk__in=ids).order_by("name")]


# A dataset is a member of a group, or carries a tag, at most once (unique
# constraints), so these joins need no DISTINCT.

def active_packages_of_group(group):
    return Package.objects.filter(state=STATE_ACTIVE, memberships__group=group, memberships__state=STATE_ACTIVE)


def active_packages_of_tag(tag):
    return Package.objects.filter(state=STATE_ACTIVE, package_tags__tag=tag, package_tags__state=STATE_ACTIVE)


# ---------------------------------------------------------------- groups

def _group_core(group):
    return {**group_summary(group), "display_name": group.title or group.name}


def group_dictize(group, context, *, include_datasets=True):
    """The Action API dict of `group`: its fields, active extras and (unless left out) active datasets.

    Leaving the datasets out saves dictizing every one of them: a group page
    lists them a page at a time through search instead.
    """
    result = _group_core(group)
    result["created"] = isoformat(group.created)
    result["extras"] = [
        {
            "id": extra.id,
            "group_id": group.id,
            "key": extra.key,
            "value": extra.value,
            "state": extra.state,
            "revision_id": extra.revision_id,
        }
        for extra in group.extras.filter(state=STATE_ACTIVE).order_by("key")
    ]
    if include_datasets:
        result["packages"] = package_dicts(active_packages_of_group(group), context)
    return result


def group_list_queryset():
    """Active groups, each annotated with `package_count` (its active datasets)."""
    return Group.objects.filter(state=STATE_ACTIVE).annotate(
        package_count=Count(
            "memberships",
            filter=Q(memberships__state=STATE_ACTIVE, memberships__package__state=STATE_ACTIVE),
        )
    )


def group_list_dictize(group):
    """A group in `group_list`'s all_fields form: `packages` is the number of its datasets."""
    result = _group_core(group)
    result["packages"] = group.package_count
    return result


def group_to_rest(group, context):
    """The Model API dict of `group`: datasets by name (v1) or id (v2), extras as an object.

    The dataset list is given under CKAN 1.6's `packages` and the spec's `datasets`.
    """
    result = _group_core(group)
    result["created"] = isoformat(group.created)
    result["extras"] = {
        extra.key: extra.value for extra in group.extras.filter(state=STATE_ACTIVE).order_by("key")
    }
    attr = ref_attr(context)
    refs = sorted(active_packages_of_group(group).values_list(attr, flat=True))
    result["packages"] = refs
    result["datasets"] = list(refs)
    return result


# ---------------------------------------------------------------- tags

def tag_dictize(tag):
    return {"id": tag.id, "name": tag.name}


def tag_show_dictize(tag, context):
    """A tag with the dicts of the active datasets carrying it."""
    result = tag_dictize(tag)
    result["packages"] = package_dicts(active_packages_of_tag(tag), context)
    return result


def tag_to_rest(tag, context):
    """The Model API form of a tag: the sorted names (v1) or ids (v2) of its datasets."""
    return sorted(active_packages_of_tag(tag).values_list(ref_attr(context), flat=True))
