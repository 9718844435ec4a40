"""People, posts and decision-body memberships kept in step with the group's HR (cadre) system."""
