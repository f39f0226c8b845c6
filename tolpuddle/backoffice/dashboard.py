"""Back office: dashboard. (Being written.)"""
