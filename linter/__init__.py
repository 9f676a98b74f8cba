"""schemalint: static checks between the database your migrations build and what your models write."""

__version__ = "0.1.0"
