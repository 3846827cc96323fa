"""schema.org JSON-LD for issue and story pages."""

from .markdown import plain_text

PUBLISHER = {"@type": "Organization", "name": "China Industries Briefing"}


def _people(names):
    return [{"@type": "Person", "name": name} for name in names]


def issue(issue, rendered, request):
    """The issue as an Article, from its rendering (`apps.briefings.rendering`)."""
    root = request.build_absolute_uri("/")[:-1]  # once, not for every address
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": issue.title[:110],
        "url": root + issue.get_absolute_url(),
        "datePublished": issue.publication_date.isoformat(),
        "dateModified": issue.updated_at.isoformat(),
        "publisher": PUBLISHER,
        "author": _people(rendered["authors"]) or PUBLISHER,
        "hasPart": [
            {
                "@type": "Article",
                "headline": story["headline"],
                "url": root + story["url"],
            }
            for story in rendered["stories"]
        ],
    }
    if editors := _people(rendered["editors"]):
        data["editor"] = editors
    if issue.hero_image:
        data["image"] = request.build_absolute_uri(issue.hero_image.url)
    return data


def story(story, request):
    issue = story.issue
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": story.headline[:110],
        "description": plain_text(story.glance_intro)[:300],
        "url": request.build_absolute_uri(story.get_absolute_url()),
        "datePublished": issue.publication_date.isoformat(),
        "dateModified": issue.updated_at.isoformat(),
        "publisher": PUBLISHER,
        "isPartOf": {
            "@type": "Article",
            "headline": issue.title,
            "url": request.build_absolute_uri(issue.get_absolute_url()),
        },
    }
