from store_page import page

page("second", "app.py", "Go to the first page")
