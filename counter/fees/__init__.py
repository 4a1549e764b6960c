"""Fees (phí, lệ phí): schedules as form data, exemptions, amounts, words, receipt numbers and VietQR."""
