"""The archived page: a clip's stored HTML made inert, to be shown as it was clipped."""
