from chuangwen.tests.matrix import api, page

ROUTES = [
    page("campaigns:calendar"),
    page("campaigns:groups"),
    api("GET", "/api/campaigns/"),
    api("GET", "/api/campaigns/{campaign_id}", kwargs=lambda w: {"campaign_id": w.campaign.pk}),
]
