"""Print or write the Solr configuration ckansite ships (searchapi/solr/conf)."""
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

CONF_DIR = Path(__file__).resolve().parents[2] / "solr" / "conf"
FILES = ["schema.xml", "solrconfig.xml"]


class Command(BaseCommand):
    help = (
        "Print schema.xml (or --file solrconfig.xml), or --write DIR to copy both into a core's conf/ "
        "directory. See searchapi/README.md for bringing up a core."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", choices=FILES, default="schema.xml", help="which file to print")
        parser.add_argument("--write", metavar="DIR", help="copy every file into DIR (created if missing)")

    def handle(self, *args, **options):
        if options["write"]:
            target = Path(options["write"])
            try:
                target.mkdir(parents=True, exist_ok=True)
                for name in FILES:
                    shutil.copyfile(CONF_DIR / name, target / name)
            except OSError as exc:
                raise CommandError(f"Cannot write the Solr configuration to {target}: {exc}") from exc
            self.stdout.write(f"Wrote {', '.join(FILES)} to {target}")
            return
        self.stdout.write((CONF_DIR / options["file"]).read_text(encoding="utf-8"), ending="")
