print("capsexport: not built yet")
