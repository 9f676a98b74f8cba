"""SQLAlchemy models."""

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy import Enum as SQLEnum
from sqlalchemy.orm import declarative_base, relationship

from app.db.enums import OutputStatus, OutputType, StyleType, UserRole

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(255), nullable=False, unique=True)
    full_name = Column(String(255))
    role = Column(SQLEnum(UserRole), nullable=False, default=UserRole.WRITER)
    created_at = Column(DateTime(timezone=True), server_default=func.now())

    outputs = relationship("Output", back_populates="author")


class WritingStyle(Base):
    __tablename__ = "writing_styles"

    id = Column(Integer, primary_key=True)
    name = Column(String(120), nullable=False)
    style_type = Column(SQLEnum(StyleType), nullable=False)
    description = Column(Text)


class Output(Base):
    __tablename__ = "outputs"

    id = Column(Integer, primary_key=True)
    title = Column(String(500), nullable=False)
    output_type = Column(SQLEnum(OutputType), nullable=False)
    status = Column(SQLEnum(OutputStatus), nullable=False, default=OutputStatus.DRAFT)
    writing_style_id = Column(Integer, ForeignKey("writing_styles.id"))
    created_by = Column(Integer, ForeignKey("users.id"))

    author = relationship("User", back_populates="outputs")
