"""Back office: member_page. (Being written.)"""
