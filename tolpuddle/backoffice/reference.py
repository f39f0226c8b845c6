"""Back office: reference. (Being written.)"""
