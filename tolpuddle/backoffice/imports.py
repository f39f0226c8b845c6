"""Back office: imports. (Being written.)"""
