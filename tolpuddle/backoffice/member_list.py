"""Back office: member_list. (Being written.)"""
