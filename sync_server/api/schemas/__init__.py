"""Wire schemas, separate from the tables and versioned: tills in the field run
older releases, so a published ``v1`` schema only ever gains optional fields;
anything incompatible goes into ``v2`` next to it, served side by side."""
