"""The public site's views: issues and stories (`issues`), agency trackers (`agencies`),
people (`people`), and previews for staff and share links (`preview`)."""
