"""Chart builders: results in, figures out. ``theme`` holds the colours every chart shares."""
