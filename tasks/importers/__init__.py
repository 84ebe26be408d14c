"""Read uploaded plan files into tables, and appendix tables into tasks and indicators.

`files.tables_read` opens a Word, Excel or CSV file safely; `appendix.appendix_read` finds the
appendix tables among them. Both are pure Python: nothing here touches the database.
"""
