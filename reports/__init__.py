"""PDF reports for the committee and Excel workbooks for auditors."""
