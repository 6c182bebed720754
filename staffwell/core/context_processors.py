from staffwell.core.navigation import navigation_for


def navigation(request) -> dict:
    return {"navigation": navigation_for(request)}
