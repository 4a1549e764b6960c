"""Background sync with the provincial hub: worker, schedule and status-bar segments."""
