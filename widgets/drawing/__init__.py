"""Pure drawing: plain data and a size in, lines of styled cells (strips) out.

Nothing here is a widget or touches the app, the data layer or the terminal:
panels call these functions from `render_line` and cache what they return. Every
function returns exactly the lines and cells asked for, and the same input
always draws the same strips, so a panel can resend only the lines that changed.
"""
