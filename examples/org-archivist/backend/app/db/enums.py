"""Enumerations shared by the models and the API schemas."""

import enum


class UserRole(str, enum.Enum):
    WRITER = "writer"
    EDITOR = "editor"
    ADMIN = "admin"


class OutputType(str, enum.Enum):
    GRANT_PROPOSAL = "grant_proposal"
    LETTER_OF_INQUIRY = "letter_of_inquiry"
    GRANT_REPORT = "grant_report"
    OTHER = "other"


class OutputStatus(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PENDING = "pending"
    AWARDED = "awarded"
    NOT_AWARDED = "not_awarded"


class StyleType(str, enum.Enum):
    NARRATIVE = "narrative"
    TECHNICAL = "technical"
    PERSUASIVE = "persuasive"
    ACADEMIC = "academic"
    OTHER = "other"
