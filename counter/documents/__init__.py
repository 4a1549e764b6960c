"""Paper for the citizen: receipts, prefilled declaration forms and slips, as PDF or printer raster."""
