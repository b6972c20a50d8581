from safeguarding.core import navigation


def page(request) -> dict:
    return {"nav_items": navigation.items_for(request)}
