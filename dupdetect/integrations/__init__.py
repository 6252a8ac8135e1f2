"""Glue for crawler frameworks. Each module imports its framework itself, so `import dupdetect`
never needs Scrapy installed: `dupdetect.integrations.scrapy` is loaded only by Scrapy's
settings (`ADDONS` or `ITEM_PIPELINES`)."""
