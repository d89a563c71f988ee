"""Global Dialogue: consultations at global scale."""
