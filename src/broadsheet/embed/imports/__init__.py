"""Comments brought over from Disqus and WordPress exports."""
