"""The Model API's registers and entities, each method one action call.

| resource                        | GET                        | POST / PUT                   | DELETE                      |
| dataset register                | package_list               | package_create_rest (201)    |                             |
| dataset entity                  | package_show_rest          | package_update_rest          | package_delete              |
| group register                  | group_list                 | group_create_rest (201)      |                             |
| group entity                    | group_show_rest            | group_update_rest            | group_delete                |
| tag register / entity           | tag_list / tag_show_rest   |                              |                             |
| rating register                 |                            | rating_create (201)          |                             |
| relationships registers         | package_relationships_list | package_relationship_create  |                             |
| relationship entity             | package_relationships_list | POST create, PUT update      | package_relationship_delete |
| dataset's revisions             | package_revision_list      |                              |                             |
| revision register / entity      | revision_list / revision_show |                           |                             |
| licenses                        | licence_list               |                              |                             |
"""
from rest_framework import status
from rest_framework.response import Response

from actionapi.rest.base import ActionAdapterView


def _deleted():
    # CKAN 1.6 answered a successful DELETE with an empty JSON string.
    return Response("")


class DatasetRegister(ActionAdapterView):
    """Dataset register: list every active dataset (v1 names, v2 ids), or create one."""

    def get(self, request):
        return Response(self.call("package_list", {}))

    def post(self, request):
        dataset = self.call("package_create_rest", self.body())
        response = Response(dataset, status=status.HTTP_201_CREATED)
        response["Location"] = self.location(self.ref_of(dataset))
        return response


class DatasetEntity(ActionAdapterView):
    """Dataset entity: read, update (PUT or POST, partial) or delete one dataset."""

    def get(self, request, ref):
        return Response(self.call("package_show_rest", {"id": ref}))

    def put(self, request, ref):
        # The URL names the dataset; an `id` in the body must agree with it.
        return Response(self.call("package_update_rest", self.body(), id=ref))

    post = put

    def delete(self, request, ref):
        self.call("package_delete", {"id": ref})
        return _deleted()


class GroupRegister(ActionAdapterView):
    """Group register: list every active group (v1 names, v2 ids), or create one."""

    def get(self, request):
        return Response(self.call("group_list", {}))

    def post(self, request):
        group = self.call("group_create_rest", self.body())
        response = Response(group, status=status.HTTP_201_CREATED)
        response["Location"] = self.location(self.ref_of(group))
        return response


class GroupEntity(ActionAdapterView):
    """Group entity: read, update (PUT or POST, partial) or delete one group."""

    def get(self, request, ref):
        return Response(self.call("group_show_rest", {"id": ref}))

    def put(self, request, ref):
        # The URL names the group (group_update_rest finds it by `id`).
        return Response(self.call("group_update_rest", {**self.body(), "id": ref}, id=ref))

    post = put

    def delete(self, request, ref):
        self.call("group_delete", {"id": ref})
        return _deleted()


class TagRegister(ActionAdapterView):
    """Tag register: the names of every tag in use."""

    def get(self, request):
        return Response(self.call("tag_list", {}))


class TagEntity(ActionAdapterView):
    """Tag entity: the datasets carrying the tag (v1 names, v2 ids); tags are always named."""

    def get(self, request, tag):
        return Response(self.call("tag_show_rest", {"id": tag}))


class RatingRegister(ActionAdapterView):
    """Rating register: rate a dataset 1 to 5 (`dataset` or `package` names it)."""

    def post(self, request):
        result = self.call("rating_create", self.body())
        return Response(result, status=status.HTTP_201_CREATED)


class RelationshipsView(ActionAdapterView):
    """Dataset relationships: the registers and the entity share one shape.

    The URL gives the subject and, depending on the location, the type and
    the object; whatever the URL does not give comes from the body.
    """

    def _list(self, ref, rel_type=None, other=None):
        data = {"id": ref}
        if other is not None:
            data["id2"] = other
        if rel_type is not None:
            data["rel"] = rel_type
        return Response(self.call("package_relationships_list", data))

    def _write(self, action_name, ref, rel_type=None, other=None, *, allow_empty=False):
        body = self.body(allow_empty=allow_empty)
        data = {
            "subject": ref,
            "object": other if other is not None else body.get("object"),
            "type": rel_type if rel_type is not None else body.get("type"),
            "comment": body.get("comment", ""),
        }
        return self.call(action_name, data)

    def _create(self, ref, rel_type=None, other=None):
        relationship = self._write("package_relationship_create", ref, rel_type, other, allow_empty=True)
        response = Response(relationship, status=status.HTTP_201_CREATED)
        if rel_type is not None and other is not None:
            response["Location"] = self.request.build_absolute_uri(self.request.path)
        return response


class RelationshipsRegister(RelationshipsView):
    """/dataset/REF/relationships: every relationship of a dataset; POST names `type` and `object`."""

    def get(self, request, ref):
        return self._list(ref)

    def post(self, request, ref):
        return self._create(ref)


class RelationshipsWithRegister(RelationshipsView):
    """/dataset/REF/relationships/REF2: the relationships between two datasets; POST names `type`."""

    def get(self, request, ref, other):
        return self._list(ref, other=other)

    def post(self, request, ref, other):
        return self._create(ref, other=other)


class RelationshipsOfTypeRegister(RelationshipsView):
    """/dataset/REF/TYPE: a dataset's relationships of one type; POST names `object`."""

    def get(self, request, ref, rel_type):
        return self._list(ref, rel_type=rel_type)

    def post(self, request, ref, rel_type):
        return self._create(ref, rel_type=rel_type)


class RelationshipEntity(RelationshipsView):
    """/dataset/REF/TYPE/REF2: one relationship; POST creates it, PUT changes its comment."""

    def get(self, request, ref, rel_type, other):
        return self._list(ref, rel_type=rel_type, other=other)

    def post(self, request, ref, rel_type, other):
        return self._create(ref, rel_type=rel_type, other=other)

    def put(self, request, ref, rel_type, other):
        return Response(self._write("package_relationship_update", ref, rel_type, other))

    def delete(self, request, ref, rel_type, other):
        self.call("package_relationship_delete", {"subject": ref, "object": other, "type": rel_type})
        return _deleted()


class DatasetRevisions(ActionAdapterView):
    """A dataset's revisions, newest first: id, message, author, timestamp."""

    def get(self, request, ref):
        return Response(self.call("package_revision_list", {"id": ref}))


class RevisionRegister(ActionAdapterView):
    """Revision register: every revision id, newest first."""

    def get(self, request):
        return Response(self.call("revision_list", {}))


class RevisionEntity(ActionAdapterView):
    """Revision entity: id, timestamp, message, author and the datasets it changed."""

    def get(self, request, revision_id):
        return Response(self.call("revision_show", {"id": revision_id}))


class LicenseList(ActionAdapterView):
    """The license register."""

    def get(self, request):
        return Response(self.call("licence_list", {}))
