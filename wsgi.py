from bimtek import create_app

app = create_app()
