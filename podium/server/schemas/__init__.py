"""API payloads (Pydantic), named ``XCreate`` / ``XUpdate`` / ``XRead`` / ``XList`` per resource.

Schemas never import the ORM: services convert rows with ``XRead.model_validate(row)``.
"""
