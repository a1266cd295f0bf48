"""The generic Heat engine: rendering (pure), the stack client, and a
Driver base class that COE drivers built on Heat templates subclass."""
