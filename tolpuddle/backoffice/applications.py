"""Back office: applications. (Being written.)"""
