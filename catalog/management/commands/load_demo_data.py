"""`manage.py load_demo_data [--count N]`: a realistic catalog, built through the actions.

Everything goes through the same actions the API uses, so the demo data has
real revisions, roles and search index entries: users, groups, datasets with
resources, tags, extras, relationships, ratings, and a few later edits.

It can be run again: names come from the seed, every random choice is drawn
before anything is written, and whatever already exists (a user, a group, a
dataset with its relationships, ratings and edits) is kept and skipped, so a
second run adds only what is missing (a larger --count adds datasets).
"""
import random
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from catalog.logic import errors, new_context
from catalog.logic.action import create, update
from catalog.logic.save import find_package
from catalog.models import Group

TOPICS = [
    ("Air quality", ["air-quality", "environment", "health"]),
    ("River levels", ["water", "environment", "rivers"]),
    ("School census", ["education", "census", "schools"]),
    ("Road traffic counts", ["transport", "roads", "traffic"]),
    ("Public spending", ["spending", "finance", "budget"]),
    ("Crime statistics", ["crime", "justice", "public-safety"]),
    ("Energy consumption", ["energy", "electricity", "climate"]),
    ("Bus timetables", ["transport", "buses", "timetables"]),
    ("Housing prices", ["housing", "prices", "economy"]),
    ("Hospital waiting times", ["health", "hospitals", "nhs"]),
    ("Election results", ["elections", "votes", "government"]),
    ("Tree inventory", ["forestry", "trees", "urban-planning"]),
]
PLACES = ["Northshire", "Eastford", "Westmere", "Southvale", "Lakeside", "Hillcrest", "Riverton", "Oakham"]
FORMATS = ["CSV", "JSON", "XLS", "XML", "PDF", "API", "RDF", "ZIP"]
LICENSES = ["cc-by", "odc-odbl", "odc-pddl", "cc-zero", "uk-ogl", "other-closed", "notspecified"]
GROUPS = [
    ("environment", "Environment", "Air, water, land and climate."),
    ("transport", "Transport", "Roads, rail, buses and traffic."),
    ("society", "Society", "Education, health, housing and crime."),
    ("government", "Government", "Spending, elections and administration."),
]
GROUP_OF_TAG = {
    "environment": "environment", "water": "environment", "climate": "environment", "forestry": "environment",
    "transport": "transport", "roads": "transport", "buses": "transport",
    "education": "society", "health": "society", "housing": "society", "crime": "society",
    "spending": "government", "elections": "government", "finance": "government",
}
RELATIONSHIP_TYPES = ["depends_on", "derives_from", "child_of", "links_to"]
ADMIN_NAME = "demo-admin"
PASSWORD = "demo-password"


class Command(BaseCommand):
    help = "Load a realistic demo catalog (users, groups, datasets, edits) through the actions."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=50, help="number of datasets (default 50)")
        parser.add_argument("--seed", default="demo", help="random seed, for repeatable data")

    def handle(self, *args, count, seed, **options):
        if count < 1:
            raise CommandError("--count must be at least 1")
        rng = random.Random(seed)
        started = time.monotonic()
        admin, _ = User.objects.get_or_create(name=ADMIN_NAME, defaults={"sysadmin": True, "email": "admin@example.org"})
        admin_ctx = new_context(user=admin, message="Demo data")
        suffix = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(4))
        stats = dict.fromkeys(["datasets", "skipped", "relationships", "ratings", "edits", "users", "groups"], 0)
        users = [self._user(admin_ctx, f"demo-{name}-{suffix}", name.title(), stats) for name in ("ann", "ben", "cleo", "dev")]
        groups = {}
        for name, title, description in GROUPS:
            groups[name] = self._group(admin_ctx, f"{name}-{suffix}", title, description, stats)
            # Only a group's admins and editors may put datasets into it.
            for user in users:
                self._call(update.user_role_update, admin_ctx, {
                    "user": user.name, "domain_object": groups[name], "roles": ["editor"],
                })
        names = []
        for i in range(count):
            plan = self._plan(rng, i, suffix, users, groups, names)
            names.append(plan["data"]["name"])
            if find_package(plan["data"]["name"]) is not None:
                stats["skipped"] += 1
            else:
                self._load(plan, stats)
            self._progress(i + 1, count)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Loaded {stats['datasets']} datasets ({stats['skipped']} already there, kept), "
            f"{stats['users']} new users, {stats['groups']} new groups, "
            f"{stats['relationships']} relationships, {stats['ratings']} ratings, {stats['edits']} edits "
            f"in {elapsed:.1f}s"
        )
        self.stdout.write(f"Demo users (password: {PASSWORD}): {', '.join(user.name for user in users)}")
        self.stdout.write(
            f"The demo adds the sysadmin {ADMIN_NAME} too: it made the demo groups, and has no password "
            "(log in as the make-run sysadmin to administer the site)."
        )

    def _plan(self, rng, i, suffix, users, groups, earlier):
        """Every random choice for dataset `i`, drawn whether or not it is then written (so reruns match)."""
        owner = rng.choice(users)
        topic, tags = rng.choice(TOPICS)
        place = rng.choice(PLACES)
        year = rng.randint(2005, 2012)
        name = f"{place}-{topic}-{year}-{i}-{suffix}".lower().replace(" ", "-")
        data = {
            "name": name,
            "title": f"{topic} in {place}, {year}",
            "notes": f"**{topic}** for {place}, collected in {year}.\n\nSee also dataset:{name} history.",
            "license_id": rng.choice(LICENSES),
            "author": owner.fullname,
            "author_email": f"{owner.name}@example.org",
            "maintainer": f"{place} Council",
            "url": f"http://data.{place.lower()}.example.org/{topic.lower().replace(' ', '-')}",
            "version": f"{year}.{rng.randint(1, 4)}",
            "tags": [{"name": t} for t in tags + [place.lower()]],
            "extras": [{"key": "spatial", "value": place}, {"key": "temporal", "value": str(year)}],
            "resources": [
                {
                    "url": f"http://data.example.org/{name}/part-{j}.{fmt.lower()}",
                    "format": fmt,
                    "description": f"{topic} {place} {year}, part {j + 1}",
                    "name": f"Part {j + 1} ({fmt})",
                }
                for j, fmt in enumerate(rng.sample(FORMATS, rng.randint(1, 3)))
            ],
            "groups": [{"name": groups[GROUP_OF_TAG[t]]} for t in tags[:1] if t in GROUP_OF_TAG],
        }
        relationship = None
        if earlier and rng.random() < 0.3:
            relationship = {"object": rng.choice(earlier), "type": rng.choice(RELATIONSHIP_TYPES)}
        ratings = [(rater, rng.randint(1, 5)) for rater in rng.sample(users, rng.randint(0, 2))]
        editor = rng.choice(users) if rng.random() < 0.25 else None
        return {"owner": owner, "data": data, "relationship": relationship, "ratings": ratings, "editor": editor}

    def _load(self, plan, stats):
        """Create one planned dataset, then its relationship, ratings and later edit."""
        owner, name = plan["owner"], plan["data"]["name"]
        shown = self._call(create.package_create, new_context(user=owner, message=f"New dataset {name}"), plan["data"])
        stats["datasets"] += 1
        if plan["relationship"] and find_package(plan["relationship"]["object"]) is not None:
            self._call(create.package_relationship_create, new_context(user=owner), {
                "subject": name, "object": plan["relationship"]["object"],
                "type": plan["relationship"]["type"], "comment": "Related by topic",
            })
            stats["relationships"] += 1
        for rater, rating in plan["ratings"]:
            self._call(create.rating_create, new_context(user=rater), {"package": name, "rating": rating})
            stats["ratings"] += 1
        if plan["editor"]:
            self._call(update.package_update, new_context(user=plan["editor"], message="Corrected the title"), {
                **shown, "title": shown["title"] + " (revised)",
            })
            stats["edits"] += 1

    def _user(self, context, name, fullname, stats):
        """The demo user `name`, created with the demo password unless it exists (then kept as it is)."""
        existing = User.objects.filter(name=name).first()
        if existing is not None:
            return existing
        self._call(create.user_create, context, {
            "name": name, "fullname": fullname, "email": f"{name}@example.org", "password": PASSWORD,
        })
        stats["users"] += 1
        return User.objects.get(name=name)

    def _group(self, context, name, title, description, stats):
        """The name of demo group `name`, created unless it exists."""
        if not Group.objects.filter(name=name).exists():
            self._call(create.group_create, context, {"name": name, "title": title, "description": description})
            stats["groups"] += 1
        return name

    def _call(self, action, context, data):
        try:
            return action(context, data)
        except errors.ActionError as exc:
            raise CommandError(f"{action.__name__} failed: {exc.message}") from exc

    def _progress(self, done, total):
        if not sys.stdout.isatty():
            return
        width = 30
        filled = width * done // total
        sys.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} datasets")
        if done == total:
            sys.stdout.write("\n")
        sys.stdout.flush()

