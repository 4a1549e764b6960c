"""The fee in the app: taking a dossier's fee (cash or transfer, with its VietQR)."""
