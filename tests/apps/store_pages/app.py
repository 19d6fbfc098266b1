from store_page import page

page("first", "pages/2_Second.py", "Go to the second page")
