"""The demo office's past: the Police Property Act Fund's 2019/20 awards, imported from a
360Giving file of fictional organisations that matches the published figures (August 2019:
27 awards, £106,733; January 2020: 42 awards, £166,800; High Sheriff awards: 11, £75,000)."""

import logging
from importlib import resources

from sqlalchemy.orm import Session

from grants.offices.operations.speaking import office_of_request
from grants.opendata.operations.importing import ImportSummary, import_file

logger = logging.getLogger(__name__)

HISTORY_FILE = "history_2019_20.json"
HISTORY_FUND = "PPAF"


def load_history(session: Session, *, prefix: str | None = None) -> ImportSummary:
    """Import the 2019/20 history (identified under `prefix`, else the office's own); a second
    load adds nothing."""
    prefix = prefix or office_of_request(session).grant_id_prefix
    with resources.files("grants.demo").joinpath(HISTORY_FILE).open("rb") as stream:
        summary = import_file(session, stream, HISTORY_FILE, HISTORY_FUND, prefix=prefix)
    logger.info("seed-demo: %s past awards imported, %s already present",
                summary.awards_created, summary.already_present)
    return summary
