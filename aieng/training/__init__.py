"""Training: presets, the training loop, trained results and the scaling sweeps."""
