"""SkillSite: assessment-site management for Chinese skill-level certification."""

__version__ = "0.1.0"
APP_NAME = "SkillSite"
