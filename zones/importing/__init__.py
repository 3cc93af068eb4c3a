"""Import real street data: the City's street centerline into Blocks, and
neighborhood polygons into Zones.

In three steps, one module each: parsing reads the features (and counts what
it skips), merging turns a hundred-block's segments into one Block and a zone's
polygon into the Blocks it holds, writing compares with what is stored and
writes in one transaction. What the rest of the project uses is named here.
"""

from zones.importing.merging import block_shape
from zones.importing.parsing import SKIP_REASONS, ImportFileError, load_features
from zones.importing.writing import BlockImportReport, ZoneImportReport, blocks_import, zones_import

__all__ = [
    "SKIP_REASONS",
    "BlockImportReport",
    "ImportFileError",
    "ZoneImportReport",
    "block_shape",
    "blocks_import",
    "load_features",
    "zones_import",
]
