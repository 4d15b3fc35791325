"""Pieces every domain uses: time, column types, QR codes, fonts, spreadsheets, pagination."""
