"""The canonical event model (see ``docs/data-model.md``)."""
from reef.model.schema import (
    ACCOUNT_TYPES,
    CONTENT_KINDS,
    ENTITIES,
    INTERACTION_KINDS,
    SCHEMA_VERSION,
    SYSTEM_COLUMNS,
    Entity,
    Field,
    entity_for_name,
)

__all__ = [
    "ACCOUNT_TYPES",
    "CONTENT_KINDS",
    "ENTITIES",
    "INTERACTION_KINDS",
    "SCHEMA_VERSION",
    "SYSTEM_COLUMNS",
    "Entity",
    "Field",
    "entity_for_name",
]
