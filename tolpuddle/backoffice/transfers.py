"""Back office: transfers. (Being written.)"""
